/**
 * In-memory adapters: the embedded default of a single node, and the fakes the application's
 * tests use. History lives for the life of the process (a new epoch at every start).
 */
package dev.parley.adapters.memory;
