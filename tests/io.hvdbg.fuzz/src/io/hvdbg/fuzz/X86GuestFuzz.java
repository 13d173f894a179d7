/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.core.Architecture;
import io.hvdbg.x86.X86MachineFactory;

/**
 * A hostile x86 guest: arbitrary bytes executed from the entry of a valid ELF64 in long mode
 * (decoder, interpreter, paging, exceptions, devices, exits all reachable).
 */
public final class X86GuestFuzz {
    private static final X86MachineFactory FACTORY = new X86MachineFactory();
    private static final int EM_X86_64 = 62;

    public static void fuzzerTestOneInput(byte[] code) {
        GuestRuns.bootAndRun(FACTORY, Architecture.X86_64, GuestImages.elf64(EM_X86_64, 0x200000, code), "x86-guest");
    }
}
