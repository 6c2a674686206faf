package dev.parley.domain;

/** Why untrusted input was refused by a value's factory. */
public enum Violation {
    /** Missing, of the wrong shape, or outside its allowed values. */
    MALFORMED,
    /** Well-formed but over a size limit. */
    TOO_LARGE
}
