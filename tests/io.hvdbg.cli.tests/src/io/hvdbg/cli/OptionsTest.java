/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The strict option parser. */
class OptionsTest {
    private static Options parse(String... args) throws CliException {
        return Options.parse("t", List.of(args), Set.of("--flag"), Set.of("--n", "--m"), Set.of("--free"), 2);
    }

    @Test
    void separateAndInlineValuesFlagsAndPositionals() throws CliException {
        Options o = parse("a", "--n", "5", "--m=64G", "--flag", "--free", "--x y", "--", "--b");
        assertEquals(5, o.intValue("--n", 0, 0, 10));
        assertEquals(65536, o.mebibytes("--m", 1, 1, 65536));
        assertEquals("--x y", o.value("--free"));
        assertEquals(List.of("a", "--b"), o.positionals());
        assertEquals(true, o.has("--flag"));
    }

    @Test
    void defaultsApplyWhenAbsent() throws CliException {
        Options o = parse();
        assertEquals(3, o.intValue("--n", 3, 0, 10));
        assertEquals(128, o.mebibytes("--m", 128, 1, 65536));
    }

    @Test
    void sizesTakeQemuSuffixes() throws CliException {
        assertEquals(512, parse("--m", "512M").mebibytes("--m", 1, 1, 65536));
        assertEquals(512, parse("--m", "512mib").mebibytes("--m", 1, 1, 65536));
        assertEquals(2048, parse("--m", "2g").mebibytes("--m", 1, 1, 65536));
    }

    @Test
    void everyMistakeIsAUsageError() {
        for (String[] bad : new String[][] {{"--n"}, {"--n", "--flag"}, {"--n", ""}, {"--flag=1"}, {"--q"}, {"-q"},
                {"a", "b", "c"}, {"--n", "1", "--n", "2"}}) {
            CliException e = assertThrows(CliException.class, () -> parse(bad), String.join(" ", bad));
            assertEquals(ExitCodes.USAGE, e.status());
        }
        for (String v : new String[] {"-1", "+1", "1e3", " 1", "11", "9999999999"}) {
            assertThrows(CliException.class, () -> parse("--n", v).intValue("--n", 0, 0, 10), v);
        }
    }
}
