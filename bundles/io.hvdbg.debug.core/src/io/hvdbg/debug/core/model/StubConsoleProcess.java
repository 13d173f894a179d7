/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.PlatformObject;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamsProxy;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.debug.core.HvdbgDebugCore;

/**
 * The console of a guest behind a remote stub: what the stub forwards ({@code O} packets) goes
 * to the output stream, hvdbg's messages about the session to the error stream. It ends with
 * the debug target; terminating it terminates the target.
 */
public final class StubConsoleProcess extends PlatformObject implements IProcess {
    private final ILaunch launch;
    private final VmDebugTarget target;
    private final String label;
    private final GuestConsole console = new GuestConsole(1 << 16);
    private final GuestStreamsProxy streams = new GuestStreamsProxy(console);
    private final Map<String, String> attributes = new HashMap<>();

    public StubConsoleProcess(ILaunch launch, VmDebugTarget target, String label) {
        this.launch = launch;
        this.target = target;
        this.label = label;
        attributes.put(ATTR_PROCESS_TYPE, "io.hvdbg.remoteStub");
        attributes.put(ATTR_PROCESS_LABEL, label);
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
        launch.addProcess(this);
        fire(DebugEvent.CREATE);
    }

    public void message(String line) {
        streams.message(line);
    }

    private void fire(int kind) {
        DebugPlugin p = DebugPlugin.getDefault();
        if (p != null) {
            p.fireDebugEventSet(new DebugEvent[] {new DebugEvent(this, kind)});
        }
    }

    @Override
    public String getLabel() {
        return label;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    @Override
    public IStreamsProxy getStreamsProxy() {
        return streams;
    }

    @Override
    public synchronized void setAttribute(String key, String value) {
        attributes.put(key, value);
    }

    @Override
    public synchronized String getAttribute(String key) {
        return attributes.get(key);
    }

    @Override
    public int getExitValue() throws DebugException {
        if (!target.isTerminated()) {
            throw new DebugException(HvdbgDebugCore.error(label + " has not ended yet", null));
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
