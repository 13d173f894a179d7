/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.nio.charset.StandardCharsets;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunch;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.debug.core.HvdbgDebugCore;

/**
 * The console of a guest behind a remote stub: what the stub forwards ({@code O} packets) goes
 * to the output stream, hvdbg's messages about the session to the error stream. It ends with
 * the debug target; terminating it terminates the target.
 */
public final class StubConsoleProcess extends GuestProcess {
    private final VmDebugTarget target;

    public StubConsoleProcess(ILaunch launch, VmDebugTarget target, String label) {
        this(launch, target, label, new GuestConsole(1 << 16));
    }

    private StubConsoleProcess(ILaunch launch, VmDebugTarget target, String label, GuestConsole console) {
        super(launch, label, "io.hvdbg.remoteStub", new GuestStreamsProxy(console));
        this.target = target;
        streams.closeInputStream(); // a stub forwards output only
        target.client().addConsoleListener(text -> {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                console.write(b & 0xFF);
            }
            streams.flush();
        });
        target.addMessageListener(this::message);
        target.addEndListener(() -> {
            streams.message("hvdbg: " + (target.endReason() == null ? "session ended" : target.endReason()));
            fire(DebugEvent.TERMINATE);
        });
        register();
    }

    @Override
    public int getExitValue() throws DebugException {
        if (!target.isTerminated()) {
            throw new DebugException(HvdbgDebugCore.error(getLabel() + " has not ended yet", null));
        }
        return 0;
    }

    @Override
    public boolean canTerminate() {
        return target.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return target.isTerminated();
    }

    @Override
    public void terminate() {
        target.terminate();
    }
}
