/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import java.nio.charset.StandardCharsets;

import io.hvdbg.core.memory.PioHandler;

/**
 * QEMU's fw_cfg I/O interface (selector 0x510, data 0x511) with the items guests ask for:
 * signature, interface id, RAM size, CPU counts and an empty file directory.
 */
public final class FwCfg implements PioHandler {
    public static final int SELECTOR = 0x510;
    public static final int DATA = 0x511;

    static final int SIGNATURE = 0x00, ID = 0x01, RAM_SIZE = 0x03, NB_CPUS = 0x05, MAX_CPUS = 0x0F,
            FILE_DIR = 0x19;

    private final long ramSize;
    private final int cpus;
    private int selector;
    private int offset;

    public FwCfg(long ramSize, int cpus) {
        this.ramSize = ramSize;
        this.cpus = cpus;
    }

    private byte[] item(int key) {
        return switch (key) {
            case SIGNATURE -> "QEMU".getBytes(StandardCharsets.US_ASCII);
            case ID -> le(1, 4);
            case RAM_SIZE -> le(ramSize, 8);
            case NB_CPUS, MAX_CPUS -> le(cpus, 2);
            case FILE_DIR -> new byte[4];
            default -> new byte[0];
        };
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    @Override
    public int in(int port, int size) {
        if (port == SELECTOR) {
            return selector;
        }
        int v = 0;
        for (int i = 0; i < size; i++) {
            byte[] it = item(selector);
            int b = offset < it.length ? it[offset] & 0xFF : 0;
            offset++;
            v |= b << (8 * i);
        }
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == SELECTOR) {
            selector = value & 0xFFFF;
            offset = 0;
        }
    }
}
