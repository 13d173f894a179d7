/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.List;

import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/** A group of registers in the Registers view (see {@link RegisterGroups}). */
public final class VcpuRegisterGroup extends HvdbgDebugElement implements IRegisterGroup {
    private final String name;
    private final IRegister[] registers;

    VcpuRegisterGroup(VcpuStackFrame frame, String name, List<RegisterDescriptor> descriptors) {
        super(frame.getDebugTarget());
        this.name = name;
        this.registers = new IRegister[descriptors.size()];
        for (int i = 0; i < registers.length; i++) {
            registers[i] = new VcpuRegister(frame.vcpuThread(), this, descriptors.get(i));
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public IRegister[] getRegisters() {
        return registers.clone();
    }

    @Override
    public boolean hasRegisters() {
        return registers.length > 0;
    }
}
