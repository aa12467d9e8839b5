"""Writer: tasks, content, images and author profiles (filled by the writer issue)."""
