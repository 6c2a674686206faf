/**
 * Parley's use cases. {@code port.in} holds one interface per client intent with its command
 * record; {@code port.out} the capabilities the use cases need from the outside world
 * (history, fan-out across nodes, presence, delivery to connections, rate limits);
 * {@code service} implements the use cases on top of those ports. Depends on the domain and
 * {@code java.*} only.
 */
package dev.parley.application;
