/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hvdbg.rsp.codec.Hex;

/**
 * A parsed stop reply: {@code S}/{@code T} (stopped with a signal), {@code W} (exited),
 * {@code X} (terminated by a signal).
 *
 * @param kind          what happened
 * @param code          signal number, or the exit status for {@link Kind#EXITED}
 * @param thread        thread id of the stopping thread, or -1 if the stub did not say
 * @param reason        {@code swbreak}, {@code hwbreak}, {@code watch}, {@code rwatch}, {@code awatch}, or null
 * @param dataAddress   the data address of a watchpoint stop, else 0
 * @param registers     expedited registers by gdb number, raw target-order bytes
 * @param exit          the exit of an hvdbg exit-breakpoint stop, or null
 * @param error         the message of an hvdbg error stop, or null
 * @param pairs         every {@code key:value} pair as sent
 */
public record StopReply(Kind kind, int code, long thread, String reason, long dataAddress,
        Map<Integer, byte[]> registers, ExitHit exit, String error, Map<String, String> pairs) {

    public enum Kind { SIGNAL, EXITED, TERMINATED }

    /**
     * The exit an hvdbg exit breakpoint stopped at ({@code hvdbg-exit} key).
     *
     * @param seq          trace sequence number, -1 when tracing is off
     * @param breakpointId the exit breakpoint that hit
     * @param reason       vendor-native reason name
     * @param category     arch-neutral category
     * @param description  decoded one-line description
     */
    public record ExitHit(long seq, int breakpointId, String reason, String category, String description) {
    }

    public static final int SIGINT = 2;
    public static final int SIGTRAP = 5;

    public boolean exited() {
        return kind != Kind.SIGNAL;
    }

    /** The vCPU index for hvdbg's thread numbering (thread id - 1), or -1. */
    public int vcpu() {
        return thread > 0 ? (int) (thread - 1) : -1;
    }

    /** An expedited register as a little-endian number, or null if it was not sent. */
    public Long register(int regnum) {
        byte[] b = registers.get(regnum);
        if (b == null) {
            return null;
        }
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** Parses a stop reply; null if the text is not one. */
    public static StopReply parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        char k = text.charAt(0);
        if (k == 'W' || k == 'X') {
            String num = text.substring(1);
            int semi = num.indexOf(';');
            if (semi >= 0) {
                num = num.substring(0, semi);
            }
            int code = (int) parseHex(num);
            return new StopReply(k == 'W' ? Kind.EXITED : Kind.TERMINATED, code, -1, null, 0, Map.of(), null, null,
                    Map.of());
        }
        if ((k != 'T' && k != 'S') || text.length() < 3) {
            return null;
        }
        int sig = (int) parseHex(text.substring(1, 3));
        long thread = -1;
        String reason = null;
        long data = 0;
        ExitHit exit = null;
        String error = null;
        Map<Integer, byte[]> regs = new LinkedHashMap<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        if (k == 'T') {
            for (String pair : text.substring(3).split(";")) {
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = pair.substring(0, colon);
                String value = pair.substring(colon + 1);
                pairs.put(key, value);
                switch (key) {
                    case "thread" -> thread = parseThread(value);
                    case "swbreak", "hwbreak" -> reason = key;
                    case "watch", "rwatch", "awatch" -> {
                        reason = key;
                        data = parseHex(value);
                    }
                    case "hvdbg-exit" -> exit = parseExit(value);
                    case "hvdbg-error" -> error = Hex.decodeText(value);
                    default -> {
                        if (isHex(key)) {
                            byte[] b = Hex.decode(value);
                            if (b != null) {
                                regs.put((int) parseHex(key), b);
                            }
                        }
                    }
                }
            }
        }
        return new StopReply(Kind.SIGNAL, sig, thread, reason, data, Collections.unmodifiableMap(regs), exit, error,
                Collections.unmodifiableMap(pairs));
    }

    private static ExitHit parseExit(String v) {
        String[] f = v.split(",", 5);
        if (f.length < 5) {
            return null;
        }
        String desc = Hex.decodeText(f[4]);
        return new ExitHit(f[0].equals("-1") ? -1 : parseHex(f[0]), (int) parseHex(f[1]), f[2], f[3],
                desc == null ? "" : desc);
    }

    private static long parseThread(String v) {
        String t = v;
        if (t.startsWith("p")) {
            int dot = t.indexOf('.');
            t = dot >= 0 ? t.substring(dot + 1) : "-1";
        }
        return t.equals("-1") ? -1 : parseHex(t);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Hex.value(s.charAt(i)) < 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    static long parseHex(String s) {
        long v = 0;
        for (int i = 0; i < s.length() && i < 16; i++) {
            int d = Hex.value(s.charAt(i));
            if (d < 0) {
                break;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXITED -> "exited with status " + code;
            case TERMINATED -> "terminated by signal " + code;
            case SIGNAL -> "stopped (signal " + code + (thread >= 0 ? ", thread " + thread : "")
                    + (reason != null ? ", " + reason : "") + (exit != null ? ", exit " + exit.reason() : "") + ")";
        };
    }

    static String text(byte[] data, int length) {
        return new String(data, 0, length, StandardCharsets.ISO_8859_1);
    }
}
