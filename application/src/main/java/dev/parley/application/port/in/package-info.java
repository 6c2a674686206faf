/** One use case per client intent, each taking a command record. */
package dev.parley.application.port.in;
