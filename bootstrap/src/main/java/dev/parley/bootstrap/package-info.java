/**
 * Wires Parley together: configuration from PARLEY_* variables and flags, one Guice module per adapter family, and main().
 */
package dev.parley.bootstrap;
