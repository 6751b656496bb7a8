# doc.mk -- man pages: doc/*.3.md and doc/*.7.md become roff pages at install time
