/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.memory.PioHandler;

/**
 * PCI configuration mechanism #1 (0xCF8 address, 0xCFC-0xCFF data) with the i440FX host
 * bridge at 00:00.0, as on QEMU's pc machine; other functions are absent (read all ones).
 */
public final class PciHostBridge implements PioHandler {
    public static final int ADDRESS = 0xCF8;
    public static final int DATA = 0xCFC;

    private int address;
    private final byte[] config = new byte[256];

    public PciHostBridge() {
        put(0x00, 2, 0x8086); // Intel
        put(0x02, 2, 0x1237); // 82441FX
        put(0x06, 2, 0x0000);
        put(0x08, 1, 0x02); // revision
        put(0x0A, 2, 0x0600); // host bridge
    }

    private void put(int off, int size, int v) {
        for (int i = 0; i < size; i++) {
            config[off + i] = (byte) (v >>> (8 * i));
        }
    }

    @Override
    public int in(int port, int size) {
        if (port >= ADDRESS && port < ADDRESS + 4) {
            return size == 4 ? address : (address >>> (8 * (port - ADDRESS))) & ((1 << (8 * size)) - 1);
        }
        boolean enabled = address < 0;
        int bus = (address >>> 16) & 0xFF;
        int devfn = (address >>> 8) & 0xFF;
        int reg = (address & 0xFC) + (port - DATA);
        if (!enabled || bus != 0 || devfn != 0) {
            return size == 4 ? -1 : (1 << (8 * size)) - 1;
        }
        int v = 0;
        for (int i = 0; i < size && reg + i < 256; i++) {
            v |= (config[reg + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == ADDRESS && size == 4) {
            address = value;
            return;
        }
        if (port >= DATA && address < 0 && ((address >>> 8) & 0xFFFF) == 0) {
            int reg = (address & 0xFC) + (port - DATA);
            if (reg == 0x04) {
                put(0x04, Math.min(size, 2), value & 0x7); // command: IO, memory, bus master
            }
        }
    }
}
