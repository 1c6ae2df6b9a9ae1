package dev.lenet5.mnist;

import java.io.IOException;

/**
 * An IDX source that cannot be turned into an array: malformed header, truncated or surplus data, a
 * corrupt gzip stream, a size beyond the reader's limits, or contents that do not fit the dataset
 * (label out of range, image and label counts that disagree).
 *
 * <p>The message always starts with the source (file path or resource name) followed by a colon, so
 * it can be shown to a user as one sentence.
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    public IdxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file path or resource name the problem was found in. */
    public String source() {
        return source;
    }

    /** The message without the source prefix. */
    public String problem() {
        return problem;
    }
}
