package io.caucus.web;

/**
 * The JSON body of every error answer.
 *
 * @param code the error code (Axon Server's where one exists, e.g. {@code AXONIQ-2000})
 * @param message a sentence saying what went wrong and what to do
 */
public record ErrorBody(String code, String message) {}
