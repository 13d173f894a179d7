/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.io.IOException;

/** The stub answered a request with an error reply ({@code E NN} or {@code E.text}). */
public final class RemoteErrorException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reply;

    public RemoteErrorException(String request, String reply) {
        super(message(request, reply));
        this.reply = reply;
    }

    private static String message(String request, String reply) {
        String r = request.length() > 60 ? request.substring(0, 60) + "..." : request;
        if (reply.startsWith("E.")) {
            return reply.substring(2) + " (request " + r + ")";
        }
        return "the stub answered " + reply + " to " + r;
    }

    /** The raw error reply, e.g. {@code E14} or {@code E.the VM is running}. */
    public String reply() {
        return reply;
    }

    /** The error text of an {@code E.text} reply, or the raw reply. */
    public String text() {
        return reply.startsWith("E.") ? reply.substring(2) : reply;
    }
}
