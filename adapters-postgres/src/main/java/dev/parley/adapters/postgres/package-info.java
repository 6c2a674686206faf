/**
 * The PostgreSQL adapter (HikariCP, Flyway, pgjdbc): durable message history with per-room gap-free sequences, idempotency and group commit. Filled by the PostgreSQL history issue.
 */
package dev.parley.adapters.postgres;
