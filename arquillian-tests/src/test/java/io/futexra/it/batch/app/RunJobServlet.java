package io.futexra.it.batch.app;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * {@code /run-job?lock=NAME&fail=B}: starts the job {@code guarded-job} with those parameters, waits
 * until it ends (hang guard 60 s), and prints {@code BATCH_STATUS|EXIT_STATUS|step=exit,...}.
 */
@WebServlet("/run-job")
public class RunJobServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JobOperator operator = BatchRuntime.getJobOperator();
        Properties parameters = new Properties();
        parameters.setProperty("lock", req.getParameter("lock"));
        parameters.setProperty("fail", String.valueOf(req.getParameter("fail")));
        long id = operator.start("guarded-job", parameters);
        long deadline = System.nanoTime() + 60_000_000_000L;
        JobExecution execution = operator.getJobExecution(id);
        while (!EnumSet.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED)
                .contains(execution.getBatchStatus()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            execution = operator.getJobExecution(id);
        }
        String steps = operator.getStepExecutions(id).stream()
                .map((StepExecution s) -> s.getStepName() + "=" + s.getExitStatus()).sorted().collect(Collectors.joining(","));
        resp.getWriter().print(execution.getBatchStatus() + "|" + execution.getExitStatus() + "|" + steps);
    }
}
