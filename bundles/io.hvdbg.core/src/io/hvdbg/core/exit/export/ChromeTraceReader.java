/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit.export;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.TraceFormatException;
import io.hvdbg.core.exit.VmExit;

/**
 * Reads back the exits of a Chrome trace JSON written by {@link ChromeTraceWriter} (the "X"
 * events with hvdbg args); other events are ignored. Holds the document in memory: meant for
 * checking exports and for traces of moderate size, not for the 1 GB case.
 */
public final class ChromeTraceReader {
    /** Deeper documents are refused instead of overflowing the stack. */
    private static final int MAX_DEPTH = 256;
    private final String name;
    private int depth;
    private final Reader in;
    private int peeked = -2;
    private long offset;

    private ChromeTraceReader(String name, Reader in) {
        this.name = name;
        this.in = in;
    }

    /** The exits in document order. */
    public static List<VmExit> read(String name, Reader in) throws IOException {
        ChromeTraceReader r = new ChromeTraceReader(name, in);
        Object doc = r.value();
        r.skipSpace();
        if (r.peek() != -1) {
            throw r.error("text after the JSON document");
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("traceEvents") instanceof List<?> events)) {
            throw new TraceFormatException(name + ": not a Chrome trace (no traceEvents array)");
        }
        List<VmExit> out = new ArrayList<>();
        for (Object o : events) {
            if (o instanceof Map<?, ?> ev && "X".equals(ev.get("ph")) && ev.get("args") instanceof Map<?, ?> args
                    && args.containsKey("time_ns")) {
                out.add(exit(name, ev, args));
            }
        }
        return out;
    }

    private static VmExit exit(String name, Map<?, ?> ev, Map<?, ?> args) throws TraceFormatException {
        try {
            ExitSource source = ExitSource.valueOf((String) args.get("source"));
            long code = number(args.get("code"));
            ExitReason reason = ExitReasons.find(source, code);
            if (reason == null) {
                ExitCategory category = ExitCategory.parse((String) args.get("category"));
                reason = ExitReasons.register(source, code, (String) ev.get("name"),
                        category == null ? ExitCategory.OTHER : category);
            }
            return new VmExit(number(args.get("seq")), (int) number(ev.get("tid")), number(args.get("time_ns")),
                    number(args.get("duration_ns")), reason, hex(args.get("rip")), hex(args.get("qualification")),
                    hex(args.get("info2")), hex(args.get("context")));
        } catch (RuntimeException e) {
            throw new TraceFormatException(name + ": exit event " + args.get("seq") + " is incomplete: " + e.getMessage());
        }
    }

    private static long number(Object o) {
        if (o instanceof String s) {
            return Long.parseLong(s);
        }
        return Long.parseLong(((String) ((Object[]) o)[0]));
    }

    private static long hex(Object o) {
        String s = (String) o;
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }

    // --- a small JSON parser: objects to LinkedHashMap, arrays to ArrayList, strings to String,
    // numbers to a one-element Object[] holding their text (so 64-bit integers stay exact),
    // true/false/null to Boolean/null.

    private Object value() throws IOException {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        try {
            return valueAtDepth();
        } finally {
            depth--;
        }
    }

    private Object valueAtDepth() throws IOException {
        skipSpace();
        int c = peek();
        switch (c) {
            case '{' -> {
                next();
                Map<String, Object> m = new LinkedHashMap<>();
                skipSpace();
                if (peek() == '}') {
                    next();
                    return m;
                }
                while (true) {
                    skipSpace();
                    if (peek() != '"') {
                        throw error("expected a member name");
                    }
                    String key = string();
                    skipSpace();
                    expect(':');
                    m.put(key, value());
                    skipSpace();
                    int d = next();
                    if (d == '}') {
                        return m;
                    }
                    if (d != ',') {
                        throw error("expected , or }");
                    }
                }
            }
            case '[' -> {
                next();
                List<Object> l = new ArrayList<>();
                skipSpace();
                if (peek() == ']') {
                    next();
                    return l;
                }
                while (true) {
                    l.add(value());
                    skipSpace();
                    int d = next();
                    if (d == ']') {
                        return l;
                    }
                    if (d != ',') {
                        throw error("expected , or ]");
                    }
                }
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    StringBuilder sb = new StringBuilder();
                    while (peek() == '-' || peek() == '+' || peek() == '.' || peek() == 'e' || peek() == 'E'
                            || (peek() >= '0' && peek() <= '9')) {
                        sb.append((char) next());
                    }
                    return new Object[] {sb.toString()};
                }
                String word = word();
                return switch (word) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> null;
                    default -> throw error("unexpected '" + word + "'");
                };
            }
        }
    }

    private String word() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (peek() >= 'a' && peek() <= 'z') {
            sb.append((char) next());
        }
        if (sb.isEmpty()) {
            int c = peek();
            throw error(c < 0 ? "unexpected end" : "unexpected '" + (char) c + "'");
        }
        return sb.toString();
    }

    private String string() throws IOException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = next();
            if (c < 0) {
                throw error("unterminated string");
            }
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                int e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int h = Character.digit(next(), 16);
                            if (h < 0) {
                                throw error("bad \\u escape");
                            }
                            v = v * 16 + h;
                        }
                        sb.append((char) v);
                    }
                    default -> {
                        if (e < 0) {
                            throw error("unterminated string");
                        }
                        sb.append((char) e);
                    }
                }
            } else {
                sb.append((char) c);
            }
        }
    }

    private void expect(char c) throws IOException {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipSpace() throws IOException {
        while (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t') {
            next();
        }
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int next() throws IOException {
        int c = peek();
        peeked = -2;
        offset++;
        return c;
    }

    private TraceFormatException error(String what) {
        return new TraceFormatException(name + ": " + what + " at character " + offset);
    }
}
