/**
 * Load generator and JMH micro-benchmarks. Benchmarks print figures; they never fail a build.
 */
package dev.parley.benchmarks;
