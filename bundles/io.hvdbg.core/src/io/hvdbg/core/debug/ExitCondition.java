/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.VmExit;

/**
 * A condition on an exit's attributes: one or more clauses {@code key=value} or
 * {@code key=low-high} (also {@code low..high}), all of which must hold, e.g.
 * {@code port=0x3f8-0x3ff}, {@code msr=0x1b}, {@code leaf=7}, {@code gpa=0xfee00000-0xfee00fff},
 * {@code ext=TIME}. Clauses are separated by spaces, commas or {@code &&}.
 */
public final class ExitCondition {
    /** One attribute in an inclusive unsigned range. */
    public record Clause(ExitAttribute attribute, long low, long high) {
        boolean holds(long value) {
            return value != -1 && Long.compareUnsigned(value, low) >= 0 && Long.compareUnsigned(value, high) <= 0;
        }

        @Override
        public String toString() {
            String k = attribute.key();
            return low == high ? k + "=0x" + Long.toHexString(low)
                    : k + "=0x" + Long.toHexString(low) + "-0x" + Long.toHexString(high);
        }
    }

    /** SBI extension ids by name (SBI spec v2.0 chapter numbers and ids), so {@code ext=HSM} works. */
    public static final Map<String, Long> SBI_EXTENSIONS = Map.ofEntries(
            Map.entry("BASE", 0x10L), Map.entry("TIME", 0x54494D45L), Map.entry("IPI", 0x735049L),
            Map.entry("RFENCE", 0x52464E43L), Map.entry("RFNC", 0x52464E43L), Map.entry("HSM", 0x48534DL),
            Map.entry("SRST", 0x53525354L), Map.entry("PMU", 0x504D55L), Map.entry("DBCN", 0x4442434EL),
            Map.entry("SUSP", 0x53555350L), Map.entry("CPPC", 0x43505043L), Map.entry("NACL", 0x4E41434CL),
            Map.entry("STA", 0x535441L), Map.entry("FWFT", 0x46574654L),
            Map.entry("LEGACY_SET_TIMER", 0x0L), Map.entry("LEGACY_CONSOLE_PUTCHAR", 0x1L),
            Map.entry("LEGACY_CONSOLE_GETCHAR", 0x2L), Map.entry("LEGACY_SHUTDOWN", 0x8L));

    private final List<Clause> clauses;
    private final String text;

    private ExitCondition(List<Clause> clauses, String text) {
        this.clauses = List.copyOf(clauses);
        this.text = text;
    }

    public static ExitCondition of(Clause... clauses) {
        List<Clause> list = List.of(clauses);
        return new ExitCondition(list, String.join(" ", list.stream().map(Clause::toString).toList()));
    }

    /**
     * Parses a condition string.
     *
     * @throws IllegalArgumentException naming the clause that is wrong
     */
    public static ExitCondition parse(String text) {
        List<Clause> clauses = new ArrayList<>();
        for (String part : text.trim().split("\\s*(?:&&|,|\\s)\\s*")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("condition '" + part + "' is not key=value (keys: port, msr, leaf, gpa, ext, fid, cr)");
            }
            ExitAttribute a = ExitAttribute.forKey(part.substring(0, eq));
            if (a == null) {
                throw new IllegalArgumentException("unknown condition key '" + part.substring(0, eq)
                        + "' (keys: port, msr, leaf, gpa, ext, fid, cr)");
            }
            String v = part.substring(eq + 1);
            String[] range = v.split("\\.\\.|(?<=[0-9a-fA-F])-(?=0x|[0-9])", 2);
            long lo = parseValue(a, range[0], part);
            long hi = range.length > 1 ? parseValue(a, range[1], part) : lo;
            if (Long.compareUnsigned(lo, hi) > 0) {
                throw new IllegalArgumentException("condition '" + part + "': range is empty (low > high)");
            }
            clauses.add(new Clause(a, lo, hi));
        }
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("empty exit condition");
        }
        return new ExitCondition(clauses, text.trim());
    }

    private static long parseValue(ExitAttribute a, String s, String clause) {
        String v = s.trim();
        if (a == ExitAttribute.SBI_EXTENSION) {
            Long id = SBI_EXTENSIONS.get(v.toUpperCase(Locale.ROOT));
            if (id != null) {
                return id;
            }
        }
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseUnsignedLong(v.substring(2).replace("_", ""), 16);
            }
            return Long.parseUnsignedLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("condition '" + clause + "': '" + v + "' is not a number"
                    + (a == ExitAttribute.SBI_EXTENSION ? " or SBI extension name" : ""));
        }
    }

    public List<Clause> clauses() {
        return clauses;
    }

    /** True if every clause holds for the exit in progress. */
    public boolean matches(ExitInfo exit) {
        for (Clause c : clauses) {
            if (!c.holds(exit.attribute(c.attribute()))) {
                return false;
            }
        }
        return true;
    }

    /** True if every clause holds for a recorded exit. */
    public boolean matches(VmExit exit) {
        for (Clause c : clauses) {
            if (!c.holds(exit.attribute(c.attribute()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
