/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.boot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes a flattened device tree blob (DTB version 17, big-endian) node by node. */
public final class FdtBuilder {
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private int depth;

    public FdtBuilder beginNode(String name) {
        word(struct, BEGIN_NODE);
        bytes(struct, (name + "\0").getBytes(StandardCharsets.US_ASCII));
        pad(struct);
        depth++;
        return this;
    }

    public FdtBuilder endNode() {
        if (depth == 0) {
            throw new IllegalStateException("endNode without beginNode");
        }
        word(struct, END_NODE);
        depth--;
        return this;
    }

    public FdtBuilder property(String name, byte[] value) {
        word(struct, PROP);
        word(struct, value.length);
        word(struct, nameOffset(name));
        bytes(struct, value);
        pad(struct);
        return this;
    }

    public FdtBuilder property(String name) {
        return property(name, new byte[0]);
    }

    public FdtBuilder property(String name, String value) {
        return property(name, (value + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    public FdtBuilder stringList(String name, List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append(v).append('\0');
        }
        return property(name, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    public FdtBuilder cells(String name, int... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            put32(b, i * 4, cells[i]);
        }
        return property(name, b);
    }

    /** A property of 64-bit values, each as two cells. */
    public FdtBuilder longs(String name, long... values) {
        byte[] b = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            put32(b, i * 8, (int) (values[i] >>> 32));
            put32(b, i * 8 + 4, (int) values[i]);
        }
        return property(name, b);
    }

    private int nameOffset(String name) {
        return stringOffsets.computeIfAbsent(name, n -> {
            int off = strings.size();
            bytes(strings, (n + "\0").getBytes(StandardCharsets.US_ASCII));
            return off;
        });
    }

    /** The blob; all nodes must be closed. */
    public byte[] build(int bootCpu) {
        if (depth != 0) {
            throw new IllegalStateException(depth + " nodes still open");
        }
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(struct.toByteArray());
        word(s, END);
        byte[] structBytes = s.toByteArray();
        byte[] stringBytes = strings.toByteArray();
        int headerSize = 40;
        int rsvOff = headerSize;
        int structOff = rsvOff + 16;
        int stringsOff = structOff + structBytes.length;
        int total = stringsOff + stringBytes.length;
        total = (total + 7) & ~7;
        byte[] out = new byte[total];
        put32(out, 0, 0xd00dfeed);
        put32(out, 4, total);
        put32(out, 8, structOff);
        put32(out, 12, stringsOff);
        put32(out, 16, rsvOff);
        put32(out, 20, 17);
        put32(out, 24, 16);
        put32(out, 28, bootCpu);
        put32(out, 32, stringBytes.length);
        put32(out, 36, structBytes.length);
        System.arraycopy(structBytes, 0, out, structOff, structBytes.length);
        System.arraycopy(stringBytes, 0, out, stringsOff, stringBytes.length);
        return out;
    }

    private static void word(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    private static void bytes(ByteArrayOutputStream o, byte[] b) {
        o.write(b, 0, b.length);
    }

    private static void pad(ByteArrayOutputStream o) {
        while (o.size() % 4 != 0) {
            o.write(0);
        }
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
