package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which locale grep runs in, read from the environment as the C library reads it. */
class GrepLocaleTest {

    @Test
    void aLocaleWhoseCodesetIsUtf8IsUtf8InAnySpelling() {
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LANG", "C.UTF-8")));
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LANG", "en_US.UTF-8")));
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LANG", "de_DE.utf8")));
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LANG", "sr_RS.UTF-8@latin")));
    }

    @Test
    void theCLocaleAnotherCodesetOrNoneAtAllIsC() {
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of()));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LANG", "C")));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LANG", "POSIX")));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LANG", "en_US")));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LANG", "de_DE.ISO-8859-1")));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LANG", "de_DE@euro")));
    }

    @Test
    void lcAllThenLcCtypeThenLangDecideAndAnEmptyOneIsSkipped() {
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LC_ALL", "C", "LC_CTYPE", "C.UTF-8", "LANG", "C.UTF-8")));
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LC_ALL", "", "LC_CTYPE", "C.UTF-8", "LANG", "C")));
        assertEquals(GrepLocale.C, GrepLocale.of(Map.of("LC_CTYPE", "C", "LANG", "C.UTF-8")));
        assertEquals(GrepLocale.UTF_8, GrepLocale.of(Map.of("LC_MESSAGES", "C", "LANG", "C.UTF-8")));
    }
}
