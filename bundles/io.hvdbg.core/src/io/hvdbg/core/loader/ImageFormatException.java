/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.loader;

/**
 * A guest image (kernel, initrd, firmware) that cannot be loaded; the message names the file
 * and says what is wrong with it, ready to show a user.
 */
public class ImageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageFormatException(String message) {
        super(message);
    }
}
