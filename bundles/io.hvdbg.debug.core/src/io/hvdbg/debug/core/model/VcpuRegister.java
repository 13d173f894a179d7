/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.math.BigInteger;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

import io.hvdbg.core.vcpu.RegisterDescriptor;

/** One register of a vCPU at the current stop; values up to 64 bits can be changed. */
public final class VcpuRegister extends HvdbgDebugElement implements IRegister {
    private final VcpuThread thread;
    private final IRegisterGroup group;
    private final RegisterDescriptor descriptor;

    VcpuRegister(VcpuThread thread, IRegisterGroup group, RegisterDescriptor descriptor) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.group = group;
        this.descriptor = descriptor;
    }

    public RegisterDescriptor descriptor() {
        return descriptor;
    }

    /** The value as an unsigned number. */
    public BigInteger unsignedValue() throws DebugException {
        return new BigInteger(1, VmDebugTarget.reverse(thread.registerBytes(descriptor)));
    }

    @Override
    public IValue getValue() throws DebugException {
        return new RegisterValue(this, thread.registerBytes(descriptor));
    }

    @Override
    public String getName() {
        return descriptor.name();
    }

    @Override
    public String getReferenceTypeName() {
        return descriptor.type();
    }

    @Override
    public boolean hasValueChanged() {
        return false;
    }

    @Override
    public IRegisterGroup getRegisterGroup() {
        return group;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        BigInteger v = parse(expression);
        if (v == null) {
            throw debugException("'" + expression + "' is not a number that fits " + descriptor.name(), null);
        }
        byte[] le = new byte[descriptor.byteSize()];
        byte[] be = v.toByteArray();
        for (int i = 0; i < le.length && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        thread.writeRegister(descriptor, le);
    }

    @Override
    public void setValue(IValue value) throws DebugException {
        setValue(value.getValueString());
    }

    @Override
    public boolean supportsValueModification() {
        return descriptor.bitSize() <= 64 && thread.isSuspended();
    }

    @Override
    public boolean verifyValue(String expression) {
        return parse(expression) != null;
    }

    @Override
    public boolean verifyValue(IValue value) throws DebugException {
        return verifyValue(value.getValueString());
    }

    private BigInteger parse(String expression) {
        String s = expression.trim().replace("_", "");
        BigInteger v;
        try {
            v = s.startsWith("0x") || s.startsWith("0X") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
        } catch (NumberFormatException e) {
            return null;
        }
        if (v.signum() < 0) {
            v = v.add(BigInteger.ONE.shiftLeft(descriptor.bitSize()));
        }
        return v.signum() < 0 || v.bitLength() > descriptor.bitSize() ? null : v;
    }

    /** A register's value: hex of its bytes, most significant first. */
    static final class RegisterValue extends HvdbgDebugElement implements IValue {
        private final VcpuRegister register;
        private final byte[] bytes;

        RegisterValue(VcpuRegister register, byte[] bytes) {
            super(register.getDebugTarget());
            this.register = register;
            this.bytes = bytes.clone();
        }

        @Override
        public String getReferenceTypeName() {
            return register.getReferenceTypeName();
        }

        @Override
        public String getValueString() {
            StringBuilder sb = new StringBuilder("0x");
            for (int i = bytes.length - 1; i >= 0; i--) {
                sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
            }
            return sb.toString();
        }

        @Override
        public boolean isAllocated() {
            return true;
        }

        @Override
        public IVariable[] getVariables() {
            return new IVariable[0];
        }

        @Override
        public boolean hasVariables() {
            return false;
        }

        @Override
        public String toString() {
            return getValueString();
        }
    }
}
