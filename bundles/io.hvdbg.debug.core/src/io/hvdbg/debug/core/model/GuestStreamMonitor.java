/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.debug.core.IStreamListener;
import org.eclipse.debug.core.model.IStreamMonitor;

/**
 * One text stream of a guest (its console, or hvdbg's messages about it) as Eclipse's console
 * reads it: the contents so far (bounded) plus listeners for what is appended.
 */
public final class GuestStreamMonitor implements IStreamMonitor {
    /** Contents kept for late listeners; the console itself keeps everything it was sent. */
    static final int CONTENTS_LIMIT = 1 << 20;

    private final CopyOnWriteArrayList<IStreamListener> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder contents = new StringBuilder();

    @Override
    public void addListener(IStreamListener listener) {
        listeners.addIfAbsent(listener);
    }

    @Override
    public void removeListener(IStreamListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String getContents() {
        synchronized (contents) {
            return contents.toString();
        }
    }

    /** Appends text and tells the listeners. */
    public void append(String text) {
        if (text.isEmpty()) {
            return;
        }
        synchronized (contents) {
            if (contents.length() + text.length() <= CONTENTS_LIMIT) {
                contents.append(text);
            }
        }
        for (IStreamListener l : listeners) {
            l.streamAppended(text, this);
        }
    }
}
