/**
 * Text forms shared by packages that must not depend on each other ({@code os}, {@code logcheck}, {@code alert},
 * {@code cli}): raw bytes shown as UTF-8 with every other byte visible ({@link dev.vigil.text.EscapedUtf8}), and text
 * from outside made safe to show a person ({@link dev.vigil.text.Printable}). Plain Java.
 */
package dev.vigil.text;
