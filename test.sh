#!/usr/bin/env bash
# README's test command: builds everything and runs every test of the default build on the default
# JDK (17), then the library's tests again on Java 25 where a Temurin 25 JDK is installed beside it,
# the virtual-thread tests of ZooKeeper, ShedLock and the RAR (WildFly on that Java 25), and the
# command's tests with bin/futex-ra running on that Java 25.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp verify "$@"
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -x "$jdk25/bin/java" ]; then
    echo "=== the library's tests again on $("$jdk25/bin/java" -version 2>&1 | head -1)"
    # a lifecycle phase (not surefire:test alone), so that Maven resolves the sibling modules to
    # this build's classes rather than to the local repository
    mvn -B -ntp -o test -pl api,backend-kit,testkit,shm,jmx,adapter -Djvm="$jdk25/bin/java"
    echo "=== the virtual-thread tests of the ZooKeeper backend and of ShedLock on Java 25"
    mvn -B -ntp -o test -pl zookeeper,integrations/shedlock -am -Djvm="$jdk25/bin/java" \
        -Dtest='ZooKeeperVirtualThreadsTest,FutexLockProviderTest' -Dsurefire.failIfNoSpecifiedTests=false
    echo "=== a servlet's virtual thread takes a lock through the RAR, on WildFly running on Java 25"
    mvn -B -ntp -o verify -pl arquillian-tests -am -Dserver.java.home="$jdk25" -DskipPair=true -DskipInbound=true \
        -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=VirtualThreadIT -Dfailsafe.failIfNoSpecifiedTests=false
    echo "=== the command's tests again with bin/futex-ra on Java 25 (its AOT-cache start-up path)"
    FUTEX_RA_JAVA="$jdk25/bin/java" mvn -B -ntp -o verify -pl api,backend-kit,testkit,shm,zookeeper,cli \
        -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
fi
