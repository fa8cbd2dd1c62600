package org.stamkund.engine;

/**
 * one reason input was refused.
 *
 * @param field the wire name of the offending field, for example {@code email}
 * @param errorCode PascalCase code naming the problem, for example {@code InvalidEmailAddress}
 * @param message a sentence for a developer; never contains the offending personal data
 */
public record Violation(String field, String errorCode, String message) {}
