/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/** The x86 I/O port space: 65536 ports, each with at most one handler (direct-indexed). */
public final class IoPortBus {
    private final PioHandler[] handlers = new PioHandler[0x10000];
    private final String[] names = new String[0x10000];
    private long unassignedAccesses;

    /** Claims {@code count} ports starting at {@code base}. */
    public synchronized void register(String name, int base, int count, PioHandler handler) {
        if (base < 0 || count <= 0 || base + count > 0x10000) {
            throw new IllegalArgumentException(String.format("%s: ports 0x%x+%d out of range", name, base, count));
        }
        for (int p = base; p < base + count; p++) {
            if (handlers[p] != null) {
                throw new IllegalArgumentException(String.format("%s: port 0x%x already taken by %s", name, p, names[p]));
            }
        }
        for (int p = base; p < base + count; p++) {
            handlers[p] = handler;
            names[p] = name;
        }
    }

    /** Reads a port; unassigned ports read as all ones. */
    public int in(int port, int size) {
        PioHandler h = handlers[port & 0xFFFF];
        if (h == null) {
            unassignedAccesses++;
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }
        return h.in(port & 0xFFFF, size);
    }

    /** Writes a port; writes to unassigned ports are dropped. */
    public void out(int port, int size, int value) {
        PioHandler h = handlers[port & 0xFFFF];
        if (h == null) {
            unassignedAccesses++;
            return;
        }
        h.out(port & 0xFFFF, size, value);
    }

    /** The name of the device on a port, or null. */
    public String deviceAt(int port) {
        return names[port & 0xFFFF];
    }

    public long unassignedAccesses() {
        return unassignedAccesses;
    }
}
