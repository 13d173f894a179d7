/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

import java.io.IOException;

/** The stub does not support a request (it gave the empty reply). */
public final class UnsupportedPacketException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsupportedPacketException(String request) {
        super("the stub does not support " + (request.length() > 40 ? request.substring(0, 40) + "..." : request));
    }
}
