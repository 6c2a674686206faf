/** This wire's frames: the JSON codec of docs/protocol.md (client commands in, server messages out) and its error codes. */
package dev.parley.adapters.websocket.frames;
