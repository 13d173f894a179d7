/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrieval;
import org.eclipse.debug.core.model.MemoryByte;

/**
 * Guest memory as the Memory view shows it, through one vCPU's address translation (what
 * gdb's {@code x} shows). Bytes the stub cannot read are marked unreadable, not errors.
 */
public final class VmMemoryBlock extends HvdbgDebugElement implements IMemoryBlockExtension {
    /** Largest single read; the views ask for a screenful at a time. */
    private static final int MAX_READ = 1 << 16;

    private final VmDebugTarget target;
    private final String expression;
    private final long base;
    private final long length;
    private final VcpuThread thread;
    private final List<Object> connections = new ArrayList<>();

    VmMemoryBlock(VmDebugTarget target, String expression, long base, long length, VcpuThread thread) {
        super(target);
        this.target = target;
        this.expression = expression;
        this.base = base;
        this.length = length;
        this.thread = thread;
    }

    @Override
    public String getExpression() {
        return expression;
    }

    @Override
    public BigInteger getBigBaseAddress() {
        return unsigned(base);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    @Override
    public BigInteger getMemoryBlockStartAddress() {
        return null; // the whole address space
    }

    @Override
    public BigInteger getMemoryBlockEndAddress() {
        return null;
    }

    @Override
    public BigInteger getBigLength() {
        return length < 0 ? BigInteger.ONE.shiftLeft(64) : BigInteger.valueOf(length);
    }

    @Override
    public int getAddressSize() {
        return 8;
    }

    @Override
    public boolean supportBaseAddressModification() {
        return false;
    }

    @Override
    public boolean supportsChangeManagement() {
        return false;
    }

    @Override
    public void setBaseAddress(BigInteger address) throws DebugException {
        throw debugException("The base address of a memory block cannot change; add a new one", null);
    }

    @Override
    public MemoryByte[] getBytesFromOffset(BigInteger unitOffset, long addressableUnits) throws DebugException {
        return getBytesFromAddress(getBigBaseAddress().add(unitOffset), addressableUnits);
    }

    @Override
    public MemoryByte[] getBytesFromAddress(BigInteger address, long units) throws DebugException {
        int n = (int) Math.min(Math.max(units, 0), MAX_READ);
        MemoryByte[] result = new MemoryByte[n];
        byte[] got;
        try {
            got = target.readMemory(thread, address.longValue(), n);
        } catch (DebugException e) {
            got = new byte[0];
        }
        for (int i = 0; i < n; i++) {
            result[i] = i < got.length
                    ? new MemoryByte(got[i], (byte) (MemoryByte.READABLE | MemoryByte.WRITABLE
                            | MemoryByte.ENDIANESS_KNOWN))
                    : new MemoryByte((byte) 0, (byte) MemoryByte.ENDIANESS_KNOWN);
        }
        return result;
    }

    @Override
    public void setValue(BigInteger offset, byte[] bytes) throws DebugException {
        target.writeMemory(thread, base + offset.longValue(), bytes);
        fireChangeEvent(DebugEvent.CONTENT);
    }

    @Override
    public void connect(Object client) {
        synchronized (connections) {
            if (!connections.contains(client)) {
                connections.add(client);
            }
        }
    }

    @Override
    public void disconnect(Object client) {
        synchronized (connections) {
            connections.remove(client);
        }
    }

    @Override
    public Object[] getConnections() {
        synchronized (connections) {
            return connections.toArray();
        }
    }

    @Override
    public void dispose() throws DebugException {
        synchronized (connections) {
            connections.clear();
        }
    }

    @Override
    public IMemoryBlockRetrieval getMemoryBlockRetrieval() {
        return target;
    }

    @Override
    public int getAddressableSize() {
        return 1;
    }

    @Override
    public long getStartAddress() {
        return base;
    }

    @Override
    public long getLength() {
        return length < 0 ? Long.MAX_VALUE : length;
    }

    @Override
    public byte[] getBytes() throws DebugException {
        int n = (int) Math.min(length < 0 ? 256 : length, MAX_READ);
        return target.readMemory(thread, base, n);
    }

    @Override
    public boolean supportsValueModification() {
        return true;
    }

    @Override
    public void setValue(long offset, byte[] bytes) throws DebugException {
        setValue(BigInteger.valueOf(offset), bytes);
    }
}
