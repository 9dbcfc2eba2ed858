/** Architecture rules that fail the build when a layer depends on what it must not. */
package io.caucus.architecture;
