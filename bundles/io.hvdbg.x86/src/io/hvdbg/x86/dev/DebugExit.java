/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.memory.PioHandler;

/** QEMU's isa-debug-exit at 0xF4: writing V ends the VM with status (V << 1) | 1. */
public final class DebugExit implements PioHandler {
    public static final int PORT = 0xF4;

    private final VirtualMachine vm;

    public DebugExit(VirtualMachine vm) {
        this.vm = vm;
    }

    @Override
    public int in(int port, int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public void out(int port, int size, int value) {
        long v = size == 4 ? value & 0xFFFF_FFFFL : value & ((1 << (8 * size)) - 1);
        int status = (int) ((v << 1) | 1);
        vm.shutdown(vm.currentVcpu(), status, "the guest wrote 0x" + Long.toHexString(v) + " to isa-debug-exit");
    }
}
