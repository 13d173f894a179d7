/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

import org.eclipse.debug.core.model.IStreamMonitor;
import org.eclipse.debug.core.model.IStreamsProxy2;

import io.hvdbg.core.GuestConsole;

/**
 * Connects a guest's {@link GuestConsole} to Eclipse's console: guest bytes (UTF-8) become text
 * on the output stream, batched per line (and by {@link #flush()} for prompts without one); text
 * typed into the console becomes guest input. hvdbg's own messages go to the error stream.
 */
public final class GuestStreamsProxy implements IStreamsProxy2, IntConsumer {
    private final GuestConsole console;
    private final GuestStreamMonitor output = new GuestStreamMonitor();
    private final GuestStreamMonitor errors = new GuestStreamMonitor();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(4096);
    private final CharBuffer chars = CharBuffer.allocate(4096);
    private volatile boolean inputClosed;

    public GuestStreamsProxy(GuestConsole console) {
        this.console = console;
        console.addOutputListener(this);
    }

    /** A byte the guest wrote (called on the VM thread). */
    @Override
    public void accept(int b) {
        String text = null;
        synchronized (pending) {
            pending.put((byte) b);
            if (b == '\n' || !pending.hasRemaining()) {
                text = drainLocked();
            }
        }
        if (text != null) {
            output.append(text);
        }
    }

    /** Sends what the guest wrote since the last newline. */
    public void flush() {
        String text;
        synchronized (pending) {
            text = drainLocked();
        }
        output.append(text);
    }

    private String drainLocked() {
        pending.flip();
        chars.clear();
        decoder.decode(pending, chars, false); // an incomplete UTF-8 sequence stays pending
        pending.compact();
        chars.flip();
        return chars.toString();
    }

    /** Reports a message of hvdbg's (not the guest's) on the error stream, one line. */
    public void message(String line) {
        errors.append(line.endsWith("\n") ? line : line + "\n");
    }

    /** Stops listening to the guest (after it ended). */
    public void dispose() {
        console.removeOutputListener(this);
        flush();
    }

    @Override
    public IStreamMonitor getOutputStreamMonitor() {
        return output;
    }

    @Override
    public IStreamMonitor getErrorStreamMonitor() {
        return errors;
    }

    @Override
    public void write(String input) throws IOException {
        if (inputClosed) {
            throw new IOException("the guest's console input is closed");
        }
        console.offerInput(input.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void closeInputStream() {
        inputClosed = true;
    }
}
