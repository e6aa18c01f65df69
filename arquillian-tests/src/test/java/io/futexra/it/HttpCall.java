package io.futexra.it;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** An HTTP GET to the application on a thread of its own, so that a test can act while it runs: its answer, or what it threw. */
public final class HttpCall {

    private final AtomicReference<Object> answer = new AtomicReference<>();
    private final Duration guard;
    private final Thread thread;

    private HttpCall(String url, Duration guard) {
        this.guard = guard;
        thread = new Thread(() -> {
            try {
                answer.set(Http.get(url, guard));
            } catch (Exception | Error e) {
                answer.set(e);
            }
        }, "ejb-call");
    }

    /** Starts a GET of {@code url}, waiting for its answer at most {@code guard}. */
    public static HttpCall start(String url, Duration guard) {
        HttpCall call = new HttpCall(url, guard);
        call.thread.start();
        return call;
    }

    /** The answer or what the call threw so far; null while it runs. */
    public Object soFar() {
        return answer.get();
    }

    /** The answer; fails if the call threw or did not answer within its guard (plus 10 s). */
    public String await() throws InterruptedException {
        thread.join(guard.plusSeconds(10).toMillis());
        Object got = answer.get();
        if (!(got instanceof String s)) {
            throw new AssertionError("the EJB call did not answer: " + got);
        }
        return s;
    }
}
