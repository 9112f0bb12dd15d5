exports.NAME = 'helper module';
