/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.PlatformObject;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamsProxy;

/**
 * What every hvdbg process in a launch shares: a label, the guest console as its streams
 * (hvdbg's own messages on the error stream), process attributes and debug events. Subclasses
 * say when the process ends and with which exit value.
 */
abstract class GuestProcess extends PlatformObject implements IProcess {
    private final ILaunch launch;
    private final String label;
    /** The console streams; subclasses flush them as output arrives. */
    protected final GuestStreamsProxy streams;
    private final Map<String, String> attributes = new HashMap<>();

    GuestProcess(ILaunch launch, String label, String processType, GuestStreamsProxy streams) {
        this.launch = launch;
        this.label = label;
        this.streams = streams;
        attributes.put(ATTR_PROCESS_TYPE, processType);
        attributes.put(ATTR_PROCESS_LABEL, label);
    }

    /** hvdbg's message on the console's error stream (one line). */
    public void message(String line) {
        streams.message(line);
    }

    /** Adds this process to its launch and announces it. */
    protected void register() {
        launch.addProcess(this);
        fire(DebugEvent.CREATE);
    }

    protected void fire(int kind) {
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
    public void setAttribute(String key, String value) {
        synchronized (attributes) {
            attributes.put(key, value);
        }
        fire(DebugEvent.CHANGE);
    }

    @Override
    public String getAttribute(String key) {
        synchronized (attributes) {
            return attributes.get(key);
        }
    }
}
