package dev.lenet5.app.serve;

/** A request the server refuses: the status to answer with and one sentence for the client, sent as JSON. */
final class HttpProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
