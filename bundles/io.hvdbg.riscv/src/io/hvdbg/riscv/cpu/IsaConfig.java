/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A set of enabled {@link IsaExtension}s as a bit mask, parsed from and printed as a riscv,isa
 * string such as {@code rv64imafdc_zicsr_zifencei_zba_zbb_zbs_zabha_zacas_svvptc_ziccrse_sstc}.
 *
 * <p>Parsing: the string must start with {@code rv64}; single letters follow ({@code g} means
 * {@code imafd_zicsr_zifencei}); multi-letter extensions are separated by underscores, in any
 * order. Unknown or unsupported names are an error naming them; dependencies are checked (e.g.
 * {@code d} needs {@code f}, {@code zabha} and {@code zacas} need {@code a}).
 */
public final class IsaConfig {
    /** Everything this core implements. */
    public static final long SUPPORTED = maskOf(IsaExtension.values());
    /** The default: everything supported. */
    public static final IsaConfig DEFAULT = new IsaConfig(SUPPORTED);

    private final long mask;

    public IsaConfig(long mask) {
        this.mask = mask & SUPPORTED;
    }

    public static long maskOf(IsaExtension... exts) {
        long m = 0;
        for (IsaExtension e : exts) {
            m |= e.bit();
        }
        return m;
    }

    public long mask() {
        return mask;
    }

    public boolean has(IsaExtension e) {
        return (mask & e.bit()) != 0;
    }

    public IsaConfig with(IsaExtension e, boolean enabled) {
        return new IsaConfig(enabled ? mask | e.bit() : mask & ~e.bit());
    }

    /**
     * Parses an ISA string.
     *
     * @throws IllegalArgumentException naming the string and what is wrong with it
     */
    public static IsaConfig parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith("rv64")) {
            throw new IllegalArgumentException("bad --isa value '" + text + "': must start with rv64 (e.g. rv64imafdc_zba)");
        }
        String[] parts = s.substring(4).split("_", -1);
        long m = 0;
        String letters = parts[0];
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            if (c == 'g') {
                m |= maskOf(IsaExtension.I, IsaExtension.M, IsaExtension.A, IsaExtension.F, IsaExtension.D,
                        IsaExtension.ZICSR, IsaExtension.ZIFENCEI);
                continue;
            }
            IsaExtension e = IsaExtension.forName(String.valueOf(c));
            if (e == null || !e.singleLetter()) {
                throw new IllegalArgumentException("bad --isa value '" + text + "': unsupported extension '" + c
                        + "' (single letters: i m a f d c g)");
            }
            m |= e.bit();
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                throw new IllegalArgumentException("bad --isa value '" + text + "': empty extension name between underscores");
            }
            IsaExtension e = IsaExtension.forName(p);
            if (e == null || e.singleLetter()) {
                throw new IllegalArgumentException("bad --isa value '" + text + "': unknown or unsupported extension '" + p
                        + "' (supported: " + supportedNames() + ")");
            }
            m |= e.bit();
        }
        IsaConfig c = new IsaConfig(m);
        String problem = c.dependencyProblem();
        if (problem != null) {
            throw new IllegalArgumentException("bad --isa value '" + text + "': " + problem);
        }
        return c;
    }

    /** A broken dependency between enabled extensions, or null. */
    public String dependencyProblem() {
        if (!has(IsaExtension.I)) {
            return "the base ISA 'i' is required";
        }
        if (has(IsaExtension.D) && !has(IsaExtension.F)) {
            return "'d' requires 'f'";
        }
        if ((has(IsaExtension.F)) && !has(IsaExtension.ZICSR)) {
            return "'f' requires 'zicsr'";
        }
        if (has(IsaExtension.ZICNTR) && !has(IsaExtension.ZICSR)) {
            return "'zicntr' requires 'zicsr'";
        }
        if (has(IsaExtension.ZABHA) && !has(IsaExtension.A)) {
            return "'zabha' requires 'a'";
        }
        if (has(IsaExtension.ZACAS) && !has(IsaExtension.A)) {
            return "'zacas' requires 'a'";
        }
        if (has(IsaExtension.SSTC) && !has(IsaExtension.ZICSR)) {
            return "'sstc' requires 'zicsr'";
        }
        return null;
    }

    private static String supportedNames() {
        StringBuilder sb = new StringBuilder();
        for (IsaExtension e : IsaExtension.values()) {
            if (!e.singleLetter()) {
                sb.append(sb.length() == 0 ? "" : " ").append(e.isaName());
            }
        }
        return sb.toString();
    }

    /** The enabled extensions in canonical order. */
    public List<IsaExtension> extensions() {
        List<IsaExtension> out = new ArrayList<>();
        for (IsaExtension e : IsaExtension.values()) {
            if (has(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The canonical riscv,isa string, e.g. {@code rv64imafdc_zicsr_zba}. */
    public String isaString() {
        StringBuilder sb = new StringBuilder("rv64");
        for (IsaExtension e : extensions()) {
            if (e.singleLetter()) {
                sb.append(e.isaName());
            }
        }
        for (IsaExtension e : extensions()) {
            if (!e.singleLetter()) {
                sb.append('_').append(e.isaName());
            }
        }
        return sb.toString();
    }

    /** The names for riscv,isa-extensions (single letters and multi-letter names). */
    public List<String> isaExtensionNames() {
        List<String> out = new ArrayList<>();
        for (IsaExtension e : extensions()) {
            out.add(e.isaName());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsaConfig c && c.mask == mask;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mask);
    }

    @Override
    public String toString() {
        return isaString();
    }
}
