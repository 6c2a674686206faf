/** What the use cases need from infrastructure; each port is implemented by an adapter module. */
package dev.parley.application.port.out;
