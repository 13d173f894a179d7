/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    @Test
    void ramSlotsLoadStoreAndSpanSlotBoundaries() {
        GuestMemory m = new GuestMemory();
        m.addRam("low", 0, 0x1000);
        m.addRam("high", 0x1000, 0x1000);
        m.store(0xFFC, 8, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, m.load(0xFFC, 8), "an access may straddle two slots");
        assertEquals(0x55667788L, m.load(0xFFC, 4));
        assertEquals(0x1122, m.load(0x1002, 2));
        assertEquals(2, m.slots().size());
        assertEquals(0x2000, m.totalSize());
        assertThrows(IllegalArgumentException.class, () -> m.load(0x2000, 1));
    }

    @Test
    void mmioRegionsDispatchAndUnassignedReadsAllOnes() {
        GuestMemory m = new GuestMemory();
        List<String> log = new ArrayList<>();
        m.addMmio("dev", 0x1000_0000L, 0x100, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                log.add("r" + offset + "/" + size);
                return 0xAB;
            }

            @Override
            public void write(long offset, int size, long value) {
                log.add("w" + offset + "/" + size + "=" + value);
            }
        });
        assertEquals(0xAB, m.mmioRead(0x1000_0004L, 4));
        m.mmioWrite(0x1000_0008L, 1, 7);
        assertEquals(List.of("r4/4", "w8/1=7"), log);
        assertEquals(0xFFFF_FFFFL, m.mmioRead(0x2000_0000L, 4));
        assertEquals(-1L, m.mmioRead(0x2000_0000L, 8));
        m.mmioWrite(0x2000_0000L, 4, 1);
        assertEquals(3, m.unassignedAccesses());
        assertNull(m.slotFor(0x1000_0000L));
        assertEquals(0, m.read(0x1000_0000L, new byte[4], 0, 4), "debugger reads never touch devices");
    }

    @Test
    void overlapsAndMisalignmentAreRefusedWithTheirNames() {
        GuestMemory m = new GuestMemory();
        m.addRam("ram", 0x8000_0000L, 0x10000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.addMmio("uart", 0x8000_1000L, 0x100, null));
        assertTrue(e.getMessage().contains("uart") && e.getMessage().contains("ram"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.addRam("odd", 0x123, 0x1000));
    }

    @Test
    void largeRamIsSplitIntoSlotsAndObserversSeeDebuggerWrites() {
        GuestMemory m = new GuestMemory();
        m.addRam("ram", 0, GuestMemory.MAX_SLOT_SIZE + 0x1000);
        assertEquals(2, m.slots().size());
        List<Long> seen = new ArrayList<>();
        m.addWriteObserver((gpa, len) -> seen.add(gpa));
        byte[] data = {1, 2, 3, 4};
        assertEquals(4, m.write(GuestMemory.MAX_SLOT_SIZE - 2, data, 0, 4));
        assertEquals(List.of(GuestMemory.MAX_SLOT_SIZE - 2), seen);
        byte[] back = new byte[4];
        m.read(GuestMemory.MAX_SLOT_SIZE - 2, back, 0, 4);
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4), List.of(back[0], back[1], back[2], back[3]));
    }

    @Test
    void ioPortBus() {
        IoPortBus bus = new IoPortBus();
        int[] last = new int[1];
        bus.register("uart", 0x3f8, 8, new PioHandler() {
            @Override
            public int in(int port, int size) {
                return port - 0x3f8;
            }

            @Override
            public void out(int port, int size, int value) {
                last[0] = value;
            }
        });
        assertEquals(5, bus.in(0x3fd, 1));
        bus.out(0x3f8, 1, 'A');
        assertEquals('A', last[0]);
        assertEquals(0xFF, bus.in(0x80, 1));
        assertEquals(0xFFFF, bus.in(0x80, 2));
        assertEquals("uart", bus.deviceAt(0x3ff));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.register("other", 0x3fc, 2, null));
        assertTrue(e.getMessage().contains("uart"), e.getMessage());
    }
}
