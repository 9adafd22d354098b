"""Fresh-eyes review as the product's users: bad input, wrong places, wrong roles, and the words people see."""
