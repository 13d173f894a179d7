/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;

/** Creates riscv64 machines. */
public final class RiscvMachineFactory implements MachineFactory {
    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    @Override
    public VirtualMachine create(VmConfig config) {
        // Replaced by the riscv64 core (its issue); until then the launcher reports it plainly.
        throw new UnsupportedOperationException("riscv64 guests are not yet available in this build");
    }
}
