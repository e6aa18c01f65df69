/**
 * Micrometer meters for a lock space's figures: {@link io.futexra.micrometer.LockSpaceMetrics}, a
 * {@code MeterBinder} for Spring Boot, Quarkus or any application with a {@code MeterRegistry}.
 */
package io.futexra.micrometer;
