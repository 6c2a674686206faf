/** The use cases, as plain classes with constructor parameters. */
package dev.parley.application.service;
