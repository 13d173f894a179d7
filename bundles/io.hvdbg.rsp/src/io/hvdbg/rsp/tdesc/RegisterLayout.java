/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.tdesc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * Where each register sits in a {@code g} packet. gdb lays the packet out as every register
 * of the target description sorted by gdb number, back to back with no gaps for unused
 * numbers, and treats a shorter reply as covering only a prefix. The stub sends the prefix of
 * registers numbered 0, 1, 2 … without a gap (x86-64: all of them; RISC-V: the integer and
 * floating-point files, up to the first CSR), and the rest are read with {@code p}.
 */
public final class RegisterLayout {
    private final RegisterDescriptor[] sorted;
    private final int[] offsets;
    private final int gPacketCount;
    private final int gPacketBytes;

    private RegisterLayout(List<RegisterDescriptor> registers) {
        List<RegisterDescriptor> list = new ArrayList<>(registers);
        list.sort(Comparator.comparingInt(RegisterDescriptor::regnum));
        sorted = list.toArray(new RegisterDescriptor[0]);
        offsets = new int[sorted.length + 1];
        int count = 0;
        boolean contiguous = true;
        for (int i = 0; i < sorted.length; i++) {
            offsets[i + 1] = offsets[i] + sorted[i].byteSize();
            if (contiguous && sorted[i].regnum() == i) {
                count = i + 1;
            } else {
                contiguous = false;
            }
        }
        gPacketCount = count;
        gPacketBytes = offsets[count];
    }

    public static RegisterLayout of(List<RegisterDescriptor> registers) {
        return new RegisterLayout(registers);
    }

    /** All registers, by ascending gdb number. */
    public List<RegisterDescriptor> registers() {
        return List.of(sorted);
    }

    public int size() {
        return sorted.length;
    }

    public RegisterDescriptor register(int index) {
        return sorted[index];
    }

    /** Byte offset of the {@code index}-th register (in number order) in a {@code g} packet. */
    public int offset(int index) {
        return offsets[index];
    }

    /** Number of registers (a prefix in number order) the stub puts in a {@code g} reply. */
    public int gPacketCount() {
        return gPacketCount;
    }

    /** Bytes of register data in a full {@code g} reply from this stub. */
    public int gPacketBytes() {
        return gPacketBytes;
    }

    /** Registers a {@code g} reply of {@code bytes} data bytes covers completely. */
    public int coveredBy(int bytes) {
        int n = 0;
        while (n < sorted.length && offsets[n + 1] <= bytes) {
            n++;
        }
        return n;
    }
}
