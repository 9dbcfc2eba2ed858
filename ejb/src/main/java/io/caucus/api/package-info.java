/**
 * What applications and the web layer call: CDI beans, EJB facades and the one error-code enum
 * ({@link io.caucus.api.ErrorCode}) every layer reports with.
 */
package io.caucus.api;
