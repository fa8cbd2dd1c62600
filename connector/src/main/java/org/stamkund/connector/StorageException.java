package org.stamkund.connector;

/** The connector's local storage (SQLite) failed. */
public final class StorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, free of personal data
   * @param cause the driver's exception
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
