/**
 * Text forms shared by packages that must not depend on each other ({@code os}, {@code logcheck}): raw
 * bytes shown as UTF-8 with every other byte visible ({@link dev.vigil.text.EscapedUtf8}). Plain Java.
 */
package dev.vigil.text;
