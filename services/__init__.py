"""Use cases: one public function per use case, one transaction each. The only code that writes."""
