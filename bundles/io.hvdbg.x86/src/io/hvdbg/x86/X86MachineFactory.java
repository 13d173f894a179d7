/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;

/** Creates x86_64 machines. */
public final class X86MachineFactory implements MachineFactory {
    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public VirtualMachine create(VmConfig config) {
        // Replaced by the x86_64 core (its issue); until then the launcher reports it plainly.
        throw new UnsupportedOperationException("x86_64 guests are not yet available in this build");
    }
}
