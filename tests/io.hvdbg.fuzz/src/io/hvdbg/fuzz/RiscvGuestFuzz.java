/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.core.Architecture;
import io.hvdbg.riscv.RiscvMachineFactory;

/**
 * A hostile RISC-V guest: arbitrary bytes executed in VS-mode from the entry of a valid ELF64
 * (decoder, interpreter, two-stage translation, SBI, MMIO exits all reachable).
 */
public final class RiscvGuestFuzz {
    private static final RiscvMachineFactory FACTORY = new RiscvMachineFactory();
    private static final int EM_RISCV = 243;

    public static void fuzzerTestOneInput(byte[] code) {
        GuestRuns.bootAndRun(FACTORY, Architecture.RISCV64, GuestImages.elf64(EM_RISCV, 0x80200000L, code),
                "riscv-guest");
    }
}
