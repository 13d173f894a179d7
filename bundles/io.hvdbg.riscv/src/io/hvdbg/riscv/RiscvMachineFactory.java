/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;

/** Creates riscv64 machines. */
public final class RiscvMachineFactory implements MachineFactory {
    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    @Override
    public VirtualMachine create(VmConfig config) throws ImageFormatException {
        if (config.architecture() != Architecture.RISCV64) {
            throw new IllegalArgumentException("the riscv64 factory cannot build a " + config.architecture().cliName()
                    + " machine");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && config.memoryBytes() > heap - (256L << 20)) {
            throw new IllegalArgumentException(String.format("--memory %d MiB is more than this JVM can give the guest"
                    + " (its heap is %d MiB; raise -Xmx or lower --memory)", config.memoryMiB(), heap >> 20));
        }
        try {
            return new RiscvMachine(config);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("--memory " + config.memoryMiB()
                    + " MiB: the JVM ran out of memory building the guest (raise -Xmx or lower --memory)");
        }
    }
}
